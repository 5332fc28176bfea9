"""courtinfo: the Django project and the content app (questions, answers, public pages)."""
