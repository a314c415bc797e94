"""REST API of the suppliers."""


def register(router):
    pass
