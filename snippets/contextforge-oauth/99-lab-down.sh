lab down
