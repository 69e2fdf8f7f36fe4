"""The questionnaire catalogue as data: instrument definitions (items, scoring, bands,
safety rules, LOINC codes, licences), crisis resources and outcome references, loaded
from kb/data/instruments/ and checked with the rest of the knowledge base."""
