"""Citations: the legal or published source behind every number chipgate uses."""

from __future__ import annotations

from pydantic import AliasChoices, BaseModel, ConfigDict, Field


class Citation(BaseModel):
    """A source: CFR section, Federal Register page, BIS guidance URL or datasheet.

    Data files may spell the text ``cite`` (legal sources) or ``title`` (documents).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    cite: str = Field(validation_alias=AliasChoices("cite", "title"))
    url: str | None = None
    note: str | None = None

    def render(self) -> str:
        """Human form: the citation and, where known, its URL."""
        return f"{self.cite} <{self.url}>" if self.url else self.cite
