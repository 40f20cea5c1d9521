"""Training commands (``marsad train ...``): they build the models that ship in the package."""
