"""Synthetic deals many times the size of BTI, for the growth rows of the benchmark:
`scale` copies of the six BTI agreements, each copy's agreement ids (and every
reference to them: restatements, amendments, qualified names) renamed, so that the
copies form one deal of independent agreements. The first copy keeps the real ids."""
from __future__ import annotations

import re
from pathlib import Path

BTI = Path(__file__).resolve().parents[2] / "agreements" / "bti"


def write_deal(folder: Path, scale: int) -> int:
    """Write the deal into `folder`; return its number of lines."""
    texts = {path.name: path.read_text(encoding="utf-8") for path in sorted(BTI.glob("*.cov"))}
    ids = [re.search(r"^agreement\s+(\w+)", text, re.MULTILINE).group(1) for text in texts.values()]
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, ids)) + r")\b")
    lines = 0
    for copy in range(scale):
        for name, text in texts.items():
            renamed = text if copy == 0 else pattern.sub(lambda m: f"{m.group(1)}_copy{copy}", text)
            (folder / f"{copy:03d}-{name}").write_text(renamed, encoding="utf-8")
            lines += renamed.count("\n")
    return lines
