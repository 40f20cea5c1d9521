"""The bottom layer: the Article with its offsets and item types, errors, settings."""
