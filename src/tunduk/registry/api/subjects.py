"""``/api/subjects``: the accounting subjects (000 §5), open to everyone."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from tunduk.api.auth import token_optional
from tunduk.api.errors import responses
from tunduk.api.lookups import get_or_404
from tunduk.api.pagination import Paged, PagePagination
from tunduk.api.types import PathId
from tunduk.registry.api.presenters import subject_out
from tunduk.registry.api.schemas import SubjectOut
from tunduk.registry.filters import SubjectFilter
from tunduk.registry.models import Subject

router = Router(tags=["subjects"], auth=token_optional)


@router.get("", response=responses({200: list[SubjectOut]}), summary="List subjects")
@paginate(PagePagination)
def list_subjects(request: HttpRequest, filters: Query[SubjectFilter]) -> Paged:
    """Subjects by name; ``q`` searches the full and short name, ``kind`` filters by kind."""
    subjects = filters.apply(Subject.objects.order_by("name", "id"))
    return Paged(subjects, subject_out)


@router.get("/{subject_id}", response=responses({200: SubjectOut}), summary="Get a subject")
def get_subject(request: HttpRequest, subject_id: PathId) -> dict[str, Any]:
    """One subject."""
    return subject_out(get_or_404(Subject.objects.all(), subject_id))
