"""The portal keeps no tables of its own: its report form's groups of 小类 are part of the
catalogue (``chuangwen.catalog.models.PublicGroup``)."""
