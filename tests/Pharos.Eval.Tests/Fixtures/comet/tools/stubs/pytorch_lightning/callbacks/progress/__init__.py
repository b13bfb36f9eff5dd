from . import tqdm_progress  # noqa: F401
