# The dict-with-attribute-access that Lightning stores hyper-parameters in (and pickles into checkpoints).
class AttributeDict(dict):
    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError as e:
            raise AttributeError(key) from e

    def __setattr__(self, key, value):
        self[key] = value
