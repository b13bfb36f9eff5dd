# The progress-bar base COMET's PredictProgressBar derives from; the stub Trainer never draws it.
class TQDMProgressBar:
    def __init__(self, refresh_rate=1, process_position=0):
        self.process_position = process_position
        self.is_disabled = True
