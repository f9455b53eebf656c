"""The decide stage: the engine, the decision and its output record."""
