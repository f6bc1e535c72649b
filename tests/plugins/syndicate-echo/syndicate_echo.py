"""An example third-party engine for syndicate (the README shows it)."""


class EchoEngine:
    name = "echo"
    max_chars = 10_000

    def __init__(self, *, prefix: str = "") -> None:
        self.prefix = prefix

    def translate(self, texts, *, source, target):
        return [f"{self.prefix}{t}" if t.strip() else t for t in texts]
