# Stand-in for datasets.fingerprint (see __init__.py).
class Hasher:
    @staticmethod
    def hash(value):
        raise RuntimeError("datasets is stubbed in the Pharos fixture chroot")
