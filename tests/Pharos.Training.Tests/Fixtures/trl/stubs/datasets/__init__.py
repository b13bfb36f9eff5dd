# Stand-in for Hugging Face `datasets`, which Debian does not package: TRL imports these names at module level; the
# fixture scripts never build a dataset, so any use raises.
__version__ = "0.0.0-stub"


class _Unavailable:
    def __init__(self, *args, **kwargs):
        raise RuntimeError("datasets is stubbed in the Pharos fixture chroot")


class Dataset(_Unavailable):
    pass


class DatasetDict(dict):
    pass


class IterableDataset(_Unavailable):
    pass


class IterableDatasetDict(dict):
    pass


def load_dataset(*args, **kwargs):
    raise RuntimeError("datasets is stubbed in the Pharos fixture chroot")


def concatenate_datasets(*args, **kwargs):
    raise RuntimeError("datasets is stubbed in the Pharos fixture chroot")
