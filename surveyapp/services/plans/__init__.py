"""Action plans ("handlingsplaner"): an afsnit's interventions against its biggest challenges, verified by audit."""
