"""Execution providers: the Auto / CPU only setting, session options, and falling back to CPU.

Auto uses the available providers among CUDA, DirectML and CoreML (in that order), then CPU.
A GPU provider that fails to start a session falls back to CPU with a note the app shows.
onnxruntime runs tree ensembles on the CPU whatever the provider, so a GPU is no promise of
speed for the shipped models.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from merchant_ai.errors import BadInputError

AUTO = "auto"
CPU_ONLY = "cpu"
PREFERENCES = (AUTO, CPU_ONLY)
PREFERENCE_LABELS = {AUTO: "Auto", CPU_ONLY: "CPU only"}
ENV_VAR = "MERCHANT_AI_PROVIDER"
SETTING_KEY = "ml.provider"
CPU = "CPUExecutionProvider"
GPU_PROVIDERS = ("CUDAExecutionProvider", "DmlExecutionProvider", "CoreMLExecutionProvider")

# The process-wide choice when neither the environment nor a store says otherwise.
_process_preference = AUTO


def normalise_preference(value: str) -> str:
    text = value.strip().lower().replace("_", " ").replace("-", " ")
    if text in ("auto", ""):
        return AUTO
    if text in ("cpu", "cpu only"):
        return CPU_ONLY
    raise BadInputError(f"'{value}' is not a provider setting; use Auto or CPU only.")


def provider_preference(store=None) -> str:
    """The setting in force: env MERCHANT_AI_PROVIDER, else the store's setting, else the process default."""
    env = os.environ.get(ENV_VAR)
    if env:
        return normalise_preference(env)
    if store is not None:
        stored = store.get_setting(SETTING_KEY)
        if stored:
            return normalise_preference(stored)
    return _process_preference


def set_provider_preference(value: str, store=None) -> str:
    """Set Auto / CPU only for this process and, when given, save it in the store's settings.

    Models loaded afterwards use it (the session cache is keyed by the setting).
    """
    global _process_preference
    preference = normalise_preference(value)
    _process_preference = preference
    if store is not None:
        store.set_setting(SETTING_KEY, preference)
    return preference


def use_store_preference(store) -> str:
    """Make the store's saved setting (if any) the process default; call once after opening the store."""
    global _process_preference
    stored = store.get_setting(SETTING_KEY)
    if stored:
        _process_preference = normalise_preference(stored)
    return provider_preference()


def candidate_providers(preference: str, available: list[str] | None = None) -> list[str]:
    """Providers to ask for, best first; always ends with CPU."""
    if preference == CPU_ONLY:
        return [CPU]
    if available is None:
        import onnxruntime

        available = list(onnxruntime.get_available_providers())
    return [name for name in GPU_PROVIDERS if name in available] + [CPU]


def session_options():
    """Thread settings for a laptop: a few intra-op threads, one inter-op, no busy spinning."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = min(4, os.cpu_count() or 1)
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    # Spinning threads keep idle cores busy (fans, battery) between small requests.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    return options


@dataclass
class SessionInfo:
    """A started session and what ran it."""

    session: object
    preference: str
    provider_requested: str
    provider_used: str
    notes: list[str] = field(default_factory=list)


def start_session(path: Path, preference: str) -> SessionInfo:
    """Start an onnxruntime session for `path`; a failing GPU provider falls back to CPU.

    Errors from the CPU attempt propagate (the caller turns them into ModelUnavailableError).
    """
    import onnxruntime

    providers = candidate_providers(preference)
    notes: list[str] = []
    session = None
    if providers[0] != CPU:
        try:
            session = onnxruntime.InferenceSession(str(path), sess_options=session_options(),
                                                   providers=providers)
        except Exception as exc:  # noqa: BLE001 - any GPU start failure means: try the CPU
            notes.append(f"{providers[0]} failed to start ({_first_line(exc)}); running on the CPU instead.")
    if session is None:
        session = onnxruntime.InferenceSession(str(path), sess_options=session_options(), providers=[CPU])
    used = session.get_providers()[0]
    if not notes and used != providers[0]:
        notes.append(f"{providers[0]} was not usable; running on {used} instead.")
    return SessionInfo(session=session, preference=preference, provider_requested=providers[0],
                       provider_used=used, notes=notes)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:200]
