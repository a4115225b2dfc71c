"""Customer messages: intent, tone, urgency, the linked order and customer, and draft replies.

Entry points for the Messages page and the command line:
- inbox.inbox(store, as_of=None) -> InboxResult (most urgent first), inbox.draft_for(store, id)
- actions.mark_done / actions.save_draft; templates.templates / set_template / policies / set_policies
- classify.classify_messages(texts) / classify_reviews(texts) for one-off texts
"""
