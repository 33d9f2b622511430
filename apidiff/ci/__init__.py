"""Continuous-integration front ends: the GitHub Action's entry point (:mod:`apidiff.ci.github_action`).

They sit on top of everything else (like the command line): they read a CI system's environment,
call :func:`apidiff.compare` and hand its reports to the CI system in the form it shows.
"""
