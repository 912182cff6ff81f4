def load_events_demo():
    pass
