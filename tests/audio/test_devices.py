"""Device discovery and choice through real PortAudio on the virtual card."""

from __future__ import annotations

import pytest

from audio.devices import (
    DeviceInfo,
    choose_input_channels,
    choose_input_samplerate,
    list_devices,
    rescan,
    resolve_input,
    resolve_output,
)
from audio.errors import NoInputDevice, NoOutputDevice
from tests.audio.conftest import VirtualCard


def test_lists_the_cards_devices(card: VirtualCard) -> None:
    devices = {d.name: d for d in list_devices()}

    assert set(devices) == {"vmic", "vspeaker", "default"}
    assert devices["vmic"].max_input_channels > 0 and devices["vmic"].max_output_channels == 0
    assert (
        devices["vspeaker"].max_output_channels > 0 and devices["vspeaker"].max_input_channels == 0
    )
    assert devices["default"].is_default_input and devices["default"].is_default_output
    assert not devices["vmic"].is_default_input
    assert rescan() == list_devices()


def test_resolves_by_default_index_and_name(card: VirtualCard) -> None:
    by_name = {d.name: d for d in list_devices()}

    assert resolve_input(None).name == "default"
    assert resolve_input("MIC") == by_name["vmic"]
    assert resolve_input(by_name["vmic"].index) == by_name["vmic"]
    assert resolve_input(str(by_name["vmic"].index)) == by_name["vmic"]
    assert resolve_output("vspeaker") == by_name["vspeaker"]
    assert resolve_output(None).name == "default"


def test_a_speaker_is_no_microphone(card: VirtualCard) -> None:
    speaker = resolve_output("vspeaker")

    with pytest.raises(
        NoInputDevice, match=r"input device '\d+' not found \(microphones: vmic, default\)"
    ):
        resolve_input(speaker.index)
    with pytest.raises(NoOutputDevice, match="output device 'vmic' not found"):
        resolve_output("vmic")


def test_capture_settings_prefer_16k_mono(card: VirtualCard) -> None:
    mic: DeviceInfo = resolve_input("vmic")

    assert choose_input_channels(mic) == 1
    assert choose_input_samplerate(mic) == 16000


def test_no_sound_card_at_all(no_sound_card: None) -> None:
    assert list_devices() == []
    with pytest.raises(NoInputDevice) as no_mic:
        resolve_input()
    with pytest.raises(NoOutputDevice) as no_speaker:
        resolve_output()

    assert str(no_mic.value) == (
        "no microphone found (no audio devices at all); answer from a file with --answer FILE"
    )
    assert str(no_speaker.value) == (
        "no speaker found (no audio devices at all); use --no-voice to read the prompts instead"
    )
