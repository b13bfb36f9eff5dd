from . import Metric


class MulticlassMatthewsCorrCoef(Metric):
    def __init__(self, num_classes=2, **kwargs):
        super().__init__()
        self.num_classes = num_classes
