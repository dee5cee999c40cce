"""Tamper evidence: hash chains over legal records, their verification and the public daily digest.

A small core below the feature apps: models that are evidence inherit ``ChainedRecord`` and this app
finds them; it never imports the apps above it. Design and outside verification: README "Proof of
consent".
"""
