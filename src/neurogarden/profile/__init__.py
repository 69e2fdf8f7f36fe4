"""The person's profile: its file shape (`schema`), the resolved model the engines work on
(`model`), validation that returns every error with its field (`resolve.validate`) and
file reading (`files`). Anything neurogarden cannot check is an error, never skipped."""

from neurogarden.profile.files import read_profile_file
from neurogarden.profile.model import (
    DatedUse,
    DietItem,
    Medication,
    Override,
    Profile,
    Session,
    SubstanceUse,
    Supplement,
)
from neurogarden.profile.resolve import parse_profile, resolve, validate
from neurogarden.profile.schema import ProfileError, ProfileIn

__all__ = [
    "DatedUse",
    "DietItem",
    "Medication",
    "Override",
    "Profile",
    "ProfileError",
    "ProfileIn",
    "Session",
    "SubstanceUse",
    "Supplement",
    "parse_profile",
    "read_profile_file",
    "resolve",
    "validate",
]
