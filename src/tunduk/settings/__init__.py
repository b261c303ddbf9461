"""Settings packages: ``base`` reads the environment once; ``test`` adjusts it for pytest."""
