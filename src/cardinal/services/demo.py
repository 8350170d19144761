"""A small demo registry: the customer-churn story, told through the services.

Group ``customer-churn`` with two versions; card ``customer-churn-v1`` documents version 1
(approved, linked, so it has two card versions); card ``customer-churn-v2`` is started from it
by the carry-over service (business details, intended uses and additional information) and
documents version 2 as a draft, then gains its own overview and evaluation metrics.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from cardinal.domain.access import Grant, Role
from cardinal.domain.errors import NotFound
from cardinal.domain.identities import PrincipalKind
from cardinal.domain.model_cards import ModelCardStatus
from cardinal.domain.model_registry import ApprovalStatus, Lifecycle, PackageFields
from cardinal.services.carry_over import model_package_details
from cardinal.services.container import Services
from cardinal.services.context import RequestContext
from cardinal.services.model_packages import ModelPackageChanges, NewModelPackage

GROUP = "customer-churn"
DEMO_USERS = {
    "demo-admin": Role.ADMIN,
    "demo-author": Role.AUTHOR,
    "demo-approver": Role.APPROVER,
}
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn-xgboost:1.7-1"

BUSINESS_DETAILS = {
    "business_problem": "Predict which subscribers will cancel within 60 days.",
    "business_stakeholders": "Retention marketing; customer care",
    "line_of_business": "Consumer subscriptions",
}
INTENDED_USES = {
    "purpose_of_model": "Rank active subscribers by churn risk for retention offers.",
    "intended_uses": "Weekly batch scoring of active subscribers.",
    "factors_affecting_model_efficiency": "Seasonality; pricing changes.",
    "risk_rating": "Medium",
    "explanations_for_risk_rating": "Offers affect customers' bills; humans review campaigns.",
}
ADDITIONAL_INFORMATION = {
    "ethical_considerations": "Protected attributes are excluded from the features.",
    "caveats_and_recommendations": "Retrain when the monthly churn rate moves by 2 points.",
    "custom_details": {"data_owner": "analytics-platform"},
}


# Where each demo version stands in its team's own lifecycle (SageMaker's ModelLifeCycle).
LIFECYCLE = {
    1: Lifecycle("Production", "Active", "Serving the weekly retention campaign."),
    2: Lifecycle("Staging", "InReview", "Shadow-scored against version 1."),
}


def _package(version: int) -> NewModelPackage:
    return NewModelPackage(
        description=f"XGBoost churn classifier, training run {version}",
        fields=PackageFields(
            inference_specification={
                "Containers": [
                    {"Image": IMAGE, "ModelDataUrl": f"s3://churn-models/v{version}/model.tar.gz"}
                ],
                "SupportedContentTypes": ["text/csv"],
                "SupportedResponseMIMETypes": ["text/csv"],
            },
            customer_metadata={"training-run": f"run-{version}"},
            lifecycle=LIFECYCLE[version],
        ),
    )


def _evaluation(auc: float, accuracy: float) -> list[dict[str, Any]]:
    return [
        {
            "name": "holdout-2026-10",
            "evaluation_observation": "Evaluated on October 2026 holdout subscribers.",
            "datasets": ["s3://churn-data/holdout/2026-10.csv"],
            "metric_groups": [
                {
                    "name": "binary classification",
                    "metric_data": [
                        {"name": "auc", "type": "number", "value": auc},
                        {"name": "accuracy", "type": "number", "value": accuracy},
                        {
                            "name": "confusion matrix",
                            "type": "matrix",
                            "value": [[812, 64], [71, 253]],
                            "x_axis_name": ["predicted stay", "predicted churn"],
                            "y_axis_name": ["stayed", "churned"],
                        },
                        {
                            "name": "roc curve",
                            "type": "linear_graph",
                            "value": [[0.0, 0.0], [0.1, 0.62], [0.3, 0.85], [1.0, 1.0]],
                            "x_axis_name": "false positive rate",
                            "y_axis_name": "true positive rate",
                        },
                    ],
                }
            ],
        }
    ]


def seed_demo_registry(services: Services, ctx: RequestContext) -> bool:
    """Create the demo registry unless its group exists; True if it was created."""
    try:
        services.groups.describe_model_package_group(ctx, GROUP)
        return False
    except NotFound:
        pass
    services.groups.create_model_package_group(
        ctx, GROUP, "Customer churn prediction", tags={"team": "retention"}
    )
    overview = {
        "model_description": "Gradient-boosted trees predicting 60-day churn.",
        "model_owner": "retention-ml",
        "problem_type": "Binary classification",
        "algorithm_type": "XGBoost",
    }
    first: dict[str, Any] = {
        "model_overview": overview,
        "business_details": BUSINESS_DETAILS,
        "intended_uses": INTENDED_USES,
        "evaluation_details": _evaluation(0.871, 0.889),
        "additional_information": ADDITIONAL_INFORMATION,
    }
    services.cards.create_model_card(ctx, f"{GROUP}-v1", json.dumps(first), ModelCardStatus.DRAFT)
    v1 = services.packages.register_model_package(ctx, GROUP, _package(1))
    services.packages.update_model_package(
        ctx,
        v1.arn,
        ModelPackageChanges(
            approval_status=ApprovalStatus.APPROVED,
            approval_description="Holdout AUC 0.871 meets the 0.85 bar.",
        ),
    )
    first["model_package_details"] = model_package_details(
        services.packages.describe_model_package(ctx, v1.arn)
    )
    services.cards.update_model_card(ctx, f"{GROUP}-v1", content=json.dumps(first))
    services.cards.update_model_card(ctx, f"{GROUP}-v1", status=ModelCardStatus.APPROVED)

    v2 = services.packages.register_model_package(ctx, GROUP, _package(2))
    started = services.carry_over.start_card_for_package(ctx, v2.arn, f"{GROUP}-v2")
    second = json.loads(services.cards.describe_model_card(ctx, started.card.name).version.content)
    second["model_overview"] = {**overview, "model_description": "Retrained on 2026-Q3."}
    second["evaluation_details"] = _evaluation(0.884, 0.896)
    services.cards.update_model_card(ctx, started.card.name, content=json.dumps(second))
    return True


def create_demo_users(services: Services, ctx: RequestContext) -> dict[str, dict[str, str]]:
    """Create the demo's users, each with a password (to sign in to the web UI), an access key
    and an API token; their credentials, shown this once, by user (``role``, ``password``,
    ``access_key_id``, ``secret_access_key``, ``token``). Users that exist already are left
    alone and left out."""
    made: dict[str, dict[str, str]] = {}
    for name, role in DEMO_USERS.items():
        try:
            services.identities.describe_principal(ctx, name)
            continue
        except NotFound:
            pass
        services.identities.create_principal(ctx, name, PrincipalKind.USER, [Grant(role)])
        password = secrets.token_urlsafe(12)
        services.identities.set_password(ctx, name, password)
        key = services.identities.create_access_key(ctx, name)
        token = services.identities.create_token(ctx, name, "demo", expires_in_days=None)
        made[name] = {
            "role": role.value,
            "password": password,
            "access_key_id": key.access_key_id,
            "secret_access_key": key.secret_access_key,
            "token": token.token,
        }
    return made
