def load_atlas_demo():
    pass
