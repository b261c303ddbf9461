"""Demo data: a living registry of real Kyrgyz state bodies, loaded by ``make run``."""

from tunduk.registry.demo.loader import DEMO_PASSWORD, load_demo

__all__ = ["DEMO_PASSWORD", "load_demo"]
