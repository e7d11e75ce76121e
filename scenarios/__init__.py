"""The built-in scenario library: YAML files shipped inside the wheel."""
