"""How much memory seesay holds, against the budget the person set for its models.

A screen reader must never be short of memory, and seesay's models add up (the description
model about 820 MiB, the question model about 550 MiB more, both BLIP-base sized in int8). The
budget says how much seesay may keep: when it is over, the least recently used optional model
(the question model) is let go at once, instead of after ten idle minutes.
"""

from __future__ import annotations

import sys
from pathlib import Path

#: Resident memory, in MiB, of the models at their default sizes (measured, int8 on the CPU).
DESCRIPTION_MODEL_MIB = 820
QUESTION_MODEL_MIB = 550
#: The image-text matcher (blip-itm-base-coco's shape, int8: bench_capfilt_cost.py measured 304).
MATCHER_MIB = 300


def resident_mib() -> float | None:
    """This process's resident memory in MiB, or None where it cannot be read (then no budget is
    enforced, and ``seesay doctor`` says so)."""
    if sys.platform.startswith("linux"):
        try:
            for line in Path("/proc/self/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except (OSError, ValueError):
            return None
    return None


def over_budget(budget_mib: int) -> bool:
    """True when seesay holds more than ``budget_mib`` (never when it cannot tell)."""
    resident = resident_mib()
    return resident is not None and resident > budget_mib
