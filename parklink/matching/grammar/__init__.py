"""The grammar of requirements as agents type them: one module per phrasing class.

- `reading`: the accumulator a text is read into, and the masking helpers;
- `numbers`: areas, budgets, rents, taxes, heights, loads and power (on zh.quantities);
- `places`: districts, area names and parks (the alias table);
- `specs`: space kinds, deals and technical needs (GMP, cleanroom, 环评, 双回路, basement);
- `industries`: industry words, uses and the profile defaults;
- `wishes`: biosafety levels, "cheaper", access to transport, industries to stay away from.
"""
