"""REST API of the catalog."""


def register(router):
    pass
