"""REST API of the inventory."""


def register(router):
    pass
