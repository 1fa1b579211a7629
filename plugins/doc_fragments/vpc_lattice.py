# -*- coding: utf-8 -*-
# Copyright: Contributors to blueprint.aws
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    # Waiting, shared by every VPC Lattice module that creates or deletes something.
    DOCUMENTATION = r"""
options:
  wait:
    description:
      - Whether to wait for the resource to reach its final state (created, or deleted with O(state=absent))
        before returning.
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds to wait when O(wait=true).
    type: int
    default: 300
"""

    # Authentication, shared by the modules for service networks and services.
    AUTH = r"""
options:
  auth_type:
    description:
      - How VPC Lattice authenticates requests to the resource.
      - V(NONE) lets every request through and means the resource has no auth policy; an existing one is deleted.
      - V(AWS_IAM) checks each request against the auth policy (O(auth_policy)).
        Without an auth policy, V(AWS_IAM) denies every request.
    type: str
    choices: [NONE, AWS_IAM]
    default: NONE
  auth_policy:
    description:
      - The auth policy document, as a dictionary or a JSON string.
      - Only with O(auth_type=AWS_IAM); the module refuses a policy with O(auth_type=NONE),
        where AWS would keep it inactive.
      - If not set, an existing policy is left as it is (O(auth_type=AWS_IAM)).
      - Policies are compared after normalisation, so a reordered but equivalent document is not a change.
    type: json
"""
