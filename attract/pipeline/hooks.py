"""What the pipeline tells the apps above it, without importing them (dependencies point
down): `deal_won` is sent inside the win's transaction, after the company became a customer,
so that what a receiver writes (care after the sale starts) is kept or undone with the win."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with deal=<the won Deal>, actor=<the User who won it>.
deal_won = Signal()
