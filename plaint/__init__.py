"""plaint: policy-as-code checks for complaint-handling processes."""

__version__ = "0.1.0"
