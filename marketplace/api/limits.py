"""Query cost: each field costs one, and everything under a paged field counts once per requested item, so a
query's cost bounds the rows and resolver calls it can cause. Checked after validation, before execution."""

from collections.abc import Iterator

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
)
from strawberry.extensions import SchemaExtension

from marketplace.api.errors import api_error


def _page_size(field: FieldNode, variables: dict, default: int) -> int:
    for argument in field.arguments or ():
        if argument.name.value not in ("first", "last"):
            continue
        value = argument.value
        if isinstance(value, IntValueNode):
            return max(1, int(value.value))
        if isinstance(value, VariableNode):
            given = variables.get(value.name.value)
            return max(1, given) if isinstance(given, int) else default
    return 1


def _cost(selection_set: SelectionSetNode | None, fragments: dict, variables: dict, default: int,
          seen: frozenset = frozenset()) -> int:
    if selection_set is None:
        return 0
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.name.value.startswith("__"):
                continue
            total += 1 + _page_size(selection, variables, default) * _cost(
                selection.selection_set, fragments, variables, default, seen)
        elif isinstance(selection, InlineFragmentNode):
            total += _cost(selection.selection_set, fragments, variables, default, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in seen or name not in fragments:  # cycles are rejected by validation anyway
                continue
            total += _cost(fragments[name].selection_set, fragments, variables, default, seen | {name})
    return total


def _operations(document, operation_name: str | None) -> Iterator[OperationDefinitionNode]:
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            if operation_name is None or (definition.name and definition.name.value == operation_name):
                yield definition


def query_cost(document, variables: dict | None, operation_name: str | None, default_page: int) -> int:
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    return max((_cost(op.selection_set, fragments, variables or {}, default_page)
                for op in _operations(document, operation_name)), default=0)


def cost_limiter(max_cost: int, default_page: int) -> type[SchemaExtension]:
    class CostLimiter(SchemaExtension):
        def on_execute(self):
            context = self.execution_context
            if context.graphql_document is not None:
                cost = query_cost(context.graphql_document, context.variables, context.operation_name,
                                  default_page)
                if cost > max_cost:
                    raise api_error(f"The query cost {cost} exceeds the limit of {max_cost}; ask for fewer "
                                    f"items or fewer fields.", "QueryCostError")
            yield

    return CostLimiter

