"""Journal URLs under /journal/."""

from django.urls import path

from tunduk.journaling import views, witness_views

app_name = "journaling"
urlpatterns = [
    path("checkpoint", views.checkpoint, name="checkpoint"),
    path("checkpoint.tsr", views.checkpoint_timestamp, name="checkpoint-timestamp"),
    path("checkpoint/cosigned", witness_views.cosigned, name="cosigned-checkpoint"),
    path("cosignatures", witness_views.cosignatures, name="cosignatures"),
    path("verifier-key", views.verifier_key, name="verifier-key"),
    path("entries/<int:index>", views.entry, name="entry"),
    path("entries/<int:index>/proof", views.entry_proof, name="entry-proof"),
    path("entries/<int:index>/proof/page", views.entry_proof_page, name="entry-proof-page"),
    path("proofs/inclusion", views.inclusion, name="inclusion"),
    path("proofs/consistency", views.consistency, name="consistency"),
]
