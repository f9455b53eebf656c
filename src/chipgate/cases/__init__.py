"""The review workflow: a decision that needs a person opens a case.

``model`` holds the states and the one transition function (pure), ``triggers`` says
which decisions need a person and whether overriding them needs two officers, and
``store`` keeps cases and their history in the store and the audit chain.
"""
