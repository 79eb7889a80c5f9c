"""ParkLink 产业园区招商对接平台."""

__version__ = "0.1.0"
