"""The user's profile (name, phone, email, target role, company), stored as TOML."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

import phonenumbers
import tomli_w

from simulator import locations
from simulator.errors import UserError
from simulator.safe_io import read_toml, terminal_safe, write_private


@dataclass(frozen=True)
class Profile:
    """Who is rehearsing: what the contact checks compare the answer against."""

    name: str = ""
    """Full name, first and last."""
    phone: str = ""
    """Callback number as the user writes it (any format phonenumbers can parse)."""
    email: str = ""
    """Email address."""
    role: str = ""
    """The role applied for, e.g. "Senior Data Analyst"."""
    company: str = ""
    """The company applied to."""
    region: str = "US"
    """Default region for numbers written without a country code (ISO 3166 alpha-2)."""

    @property
    def is_empty(self) -> bool:
        """True when nothing has been filled in yet (first run)."""
        return not (self.name or self.phone or self.email or self.role or self.company)

    def phone_digits(self) -> str:
        """The national significant number's digits, e.g. "6175550142"; "" when no phone is set."""
        if not self.phone:
            return ""
        return str(parse_phone(self.phone, self.region).national_number)

    def missing(self, needed: set[str]) -> list[str]:
        """The names of the needed fields that are empty."""
        return [f for f in sorted(needed) if not getattr(self, f)]


def parse_phone(text: str, region: str = "US") -> phonenumbers.PhoneNumber:
    """Parse a profile phone number, raising UserError with one clear line when it is not one."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise UserError(f"profile phone {text!r} is not a phone number: {exc}") from None
    if not phonenumbers.is_possible_number(number):
        raise UserError(
            f"profile phone {text!r} has the wrong number of digits for {region}; "
            "outside the US, start with the country code (e.g. +44 20 7946 0958)"
        )
    return number


def load_profile(path: Path | None = None) -> Profile:
    """Read the profile from PATH (default: the config dir); a missing default file is an empty profile."""
    target = path or locations.profile_file()
    if not target.exists():
        if path is not None:
            raise UserError(f"{path}: profile file not found")
        return Profile()
    raw = read_toml(target)
    table = raw.get("profile", raw)
    if not isinstance(table, dict):
        raise UserError(f"{target}: [profile] must be a table")
    known = {f.name for f in fields(Profile)}
    unknown = sorted(set(table) - known)
    if unknown:
        raise UserError(
            f"{target}: unknown profile field {unknown[0]!r} (known: {', '.join(sorted(known))})"
        )
    for key, value in table.items():
        if not isinstance(value, str):
            raise UserError(f"{target}: profile.{key}: must be a string")
    # A name holding escape codes would reach the terminal (and the app) raw.
    profile = Profile(**{k: terminal_safe(v).strip() for k, v in table.items()})
    if profile.phone:
        parse_phone(profile.phone, profile.region)
    return profile


def save_profile(profile: Profile, path: Path | None = None) -> Path:
    """Write the profile as TOML (user-readable only) and return the file written."""
    if profile.phone:
        parse_phone(profile.phone, profile.region)
    target = path or locations.profile_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written 0600 to a fresh temporary name and moved into place: never through a link
    # planted at the file or at a fixed temporary name ("profile.tmp" once was one).
    write_private(target, tomli_w.dumps({"profile": asdict(profile)}), force=True)
    return target


def update_profile(profile: Profile, **changes: str | None) -> Profile:
    """Return the profile with the given non-None fields replaced."""
    return replace(profile, **{k: v.strip() for k, v in changes.items() if v is not None})
