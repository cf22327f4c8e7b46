"""Lists to Excel, for every app (issue #11): the job model, the registry apps declare their
exporters in, the streamed xlsx writer, the background job and its pages.

An app exports by declaring, in its `exporters` module:

    register("cases", prepare)   # prepare(actor, parameters) -> Prepared, or raises

and by putting a POST form on its page that targets `core:export_new` with the list's
filters as fields (template `core/_export_button.html`). See `services` for the rules.
"""
