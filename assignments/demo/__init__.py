"""Demo data for `manage.py seed_demo` (`plan`: what to create; `seed`: creating it through
the services). Idempotent: a lead whose company name already exists is not created again, and
only leads created by this run are claimed, so running it twice leaves the same data."""

from .seed import seed_demo_leads

__all__ = ["seed_demo_leads"]
