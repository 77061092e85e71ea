"""The README's Python examples run as written."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_python_blocks_run_in_order(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the examples write conv.gif
    namespace: dict = {}
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 3
    for block in blocks:
        exec(compile(block, str(README), "exec"), namespace)
    assert namespace["conv"].output_shape == (3, 3)
    assert (tmp_path / "conv.gif").stat().st_size > 0
    assert namespace["result"].image.dtype.name == "uint8"


def test_readme_has_the_commands():
    text = README.read_text(encoding="utf-8")
    for marker in ("<!-- main-command -->", "<!-- test-command -->", "<!-- docs-command -->"):
        block = text.split(marker, 1)[1].split("```bash\n", 1)[1].split("```", 1)[0].strip()
        assert block.count("\n") == 0 and "pip install" in block
