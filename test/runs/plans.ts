// Plans the run tests share.

/** prepare (writes an output) → apply (fails until a file named `fixed` exists) → after. */
export const flakyPlan = (retry = '', after = true) => `apiVersion: pluginops/v1
kind: ActionPlan
metadata: { id: flaky }
spec:
  category: maintenance
${retry}  steps:
    - id: prepare
      run: |
        echo x >> prepare-runs.txt
        echo "token=abc" >> "$PLUGINOPS_OUTPUT"
    - id: apply
      needs: [prepare]
      env: { TOKEN: "\${{ steps.prepare.outputs.token }}" }
      run: |
        echo x >> apply-runs.txt
        [ -f fixed ] || { echo "not ready"; exit 3; }
        echo "applied with $TOKEN" > applied.txt
${after ? `    - id: after
      needs: [apply]
      run: echo done
` : ''}`;
