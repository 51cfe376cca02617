"""Administration: the organisation, users, API tokens, rounds, the questionnaire editor, the change log and mail."""
