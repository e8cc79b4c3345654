"""Layers and models shared by the replications."""
