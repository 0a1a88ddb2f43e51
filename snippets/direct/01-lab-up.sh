mkdir -p ~/pflow-lab
cd ~/pflow-lab
lab up direct
