"""The parts of every answer that do not belong to one resource."""

from pydantic import BaseModel, ConfigDict, Field, create_model

MAX_LIMIT = 100


class PageParams(BaseModel):
    """Query parameters every list has."""

    cursor: str | None = Field(
        None,
        max_length=40,
        description="Where the page starts: the value `cursor` of the page before.",
    )
    limit: int = Field(20, ge=1, le=MAX_LIMIT, description="Objects per page (1 to 100).")


class ParameterError(BaseModel):
    parameter: str
    detail: str


class Problem(BaseModel):
    """An error (RFC 9457, ``application/problem+json``)."""

    model_config = ConfigDict(title="Problem")

    type: str
    title: str = Field(description="German or English, by Accept-Language.")
    status: int
    detail: str | None = None
    errors: list[ParameterError] | None = None


def page_model(resource):
    """The model of one page of ``resource``'s list."""
    name = resource.schema.__name__.removesuffix("Schema")
    base = resource.extra_schema or BaseModel
    return create_model(
        f"{name}Seite",
        __base__=base,
        anzahl=(int, Field(description="How many objects the whole list has.")),
        cursor=(str | None, Field(description="Cursor of the next page; null on the last.")),
        naechste=(str | None, Field(description="Address of the next page; null on the last.")),
        daten=(list[resource.schema], ...),
    )


def params_model(resource):
    """The list's query parameters: the resource's own and the page's."""
    name = resource.schema.__name__.removesuffix("Schema")
    bases = (resource.params, PageParams) if resource.params else (PageParams,)
    return create_model(f"{name}Parameter", __base__=bases)
