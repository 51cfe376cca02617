"""Reading a SurveyXact dataset export and matching it to a questionnaire: pure, no Flask, no database.

A SurveyXact "Eksporter datasæt → Excel" workbook has the sheets Labels, Variables, Dataset, Complete and
Structure, in that order (see README, "Baseline from SurveyXact"). `read_export` turns the bytes into an
`Export`; `match` pairs its questions, labels and afsnit with a questionnaire and an organisation (given as
plain `ItemTarget`s and `(code, name)` pairs) and returns a `Plan` with every error at once, each with its
sheet and row. Nothing but the afsnit and the answers leaves here: respondent keys, e-mail addresses, times
and other background variables are read only to be dropped.
"""
from .matching import (BLANK, MAPPING_KINDS, NOT_APPLICABLE, SKIP, Answer, ItemTarget, Mapping, OptionTarget,
                       Plan, Respondent, match, read_mapping)
from .reader import (COMPLETE_STATUS, SHEETS, STRUCTURE_HEADER, VARIABLES_HEADER, Error, Export, ExportError,
                     Question, normalise, read_export)

__all__ = ["BLANK", "COMPLETE_STATUS", "MAPPING_KINDS", "NOT_APPLICABLE", "SHEETS", "SKIP", "STRUCTURE_HEADER",
           "VARIABLES_HEADER", "Answer", "Error", "Export", "ExportError", "ItemTarget", "Mapping", "OptionTarget",
           "Plan", "Question", "Respondent", "match", "normalise", "read_export", "read_mapping"]
