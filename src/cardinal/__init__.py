"""Cardinal: a self-hosted model registry with model cards that speaks the SageMaker API."""

__version__ = "0.1.0"
