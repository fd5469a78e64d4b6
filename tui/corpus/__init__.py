"""Raw article bytes -> clean Article. Never imports Textual."""
