"""Built-in policy packs (YAML, in ``packs/``) and the check functions they call."""
