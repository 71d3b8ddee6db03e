"""helpers shared by the migrations (no revision here)"""


def helper():
    revision = 'not_me'
    return revision
